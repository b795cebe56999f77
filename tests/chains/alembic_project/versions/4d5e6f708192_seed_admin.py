"""seed admin

Revision ID: 4d5e6f708192
Revises: 3c4d5e6f7081
Create Date: 2024-01-04 10:00:00.000000

"""
from alembic import op

revision = "4d5e6f708192"
down_revision = "3c4d5e6f7081"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("INSERT INTO users (name, email) VALUES ('admin', 'admin@example.com')")


def downgrade():
    pass
