"""post status

Revision ID: 5e6f708192a3
Revises: 4d5e6f708192
Create Date: 2024-01-05 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "5e6f708192a3"
down_revision = "4d5e6f708192"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "posts",
        sa.Column("published", sa.Boolean, server_default=sa.false(), nullable=False),
    )
    op.create_index("ix_posts_author_published", "posts", ["author_id", "published"])


def downgrade():
    raise NotImplementedError("published posts cannot be unpublished in bulk")
