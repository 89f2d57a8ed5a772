"""The figures of the site: each module has a `draw(ctx)` that returns a matplotlib Figure."""
