"""Alembic environment: runs migrations against the URL the engine passes in."""

from alembic import context

from engine.db import make_engine
from engine.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
