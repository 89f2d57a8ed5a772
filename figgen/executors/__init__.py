"""Executors other than the local process pool: they run the same tasks (figgen/worker.py)."""
