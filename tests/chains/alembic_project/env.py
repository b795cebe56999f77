"""Alembic's environment for the fixture: online with the URL given as
`-x url=...`, offline (`--sql`) with the dialect of sqlalchemy.url."""
from alembic import context
from sqlalchemy import create_engine

config = context.config


def url():
    return context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )


if context.is_offline_mode():
    context.configure(url=url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()
else:
    with create_engine(url()).connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
