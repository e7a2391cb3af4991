"""The store: SQLAlchemy 2 typed models, engine and repositories."""
