"""Analytics: an organization's uploaded CSV files as tables, and questions about them.

``datasets`` turns CSV files into tables of a per-organization SQLite database (a
cache, rebuilt from the files whenever they change); ``engine`` reads a question,
says how it read it, and answers it with one SQL query. The engine is embedded and
deterministic: the appliance has no internet and no model.
"""
