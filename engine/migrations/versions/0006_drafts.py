"""process owners' drafts

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kommune', sa.String(length=100), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('based_on_version_id', sa.Integer(), nullable=True),
        sa.Column('files_json', sa.Text(), nullable=False),
        sa.Column('forms_json', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=200), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['based_on_version_id'], ['process_version.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_draft_kommune', 'draft', ['kommune'])


def downgrade() -> None:
    op.drop_index('ix_draft_kommune', 'draft')
    op.drop_table('draft')
