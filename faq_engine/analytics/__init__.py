"""Self-service analytics: events recorded by the API and the widget, and the KPIs read from
them and from imported tickets (SQLAlchemy Core, SQLite or PostgreSQL)."""
