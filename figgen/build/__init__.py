"""The build engine: plan, run and record a build (engine.py); the rules a site must keep (site_rules.py)."""
