"""trial runs of drafts, each a SQLite database kept as bytes

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'draft_trial',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('draft_id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=200), nullable=False),
        sa.Column('kommune', sa.String(length=100), nullable=False),
        sa.Column('clock_at', sa.DateTime(), nullable=False),
        sa.Column('db_blob', sa.LargeBinary(), nullable=False),
        sa.Column('draft_version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['draft_id'], ['draft.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('draft_id', 'username'),
    )
    op.create_index('ix_draft_trial_kommune', 'draft_trial', ['kommune'])


def downgrade() -> None:
    op.drop_index('ix_draft_trial_kommune', 'draft_trial')
    op.drop_table('draft_trial')
