"""Django's PostgreSQL backend, loading times with psycopg's C loader (see base.py)."""
