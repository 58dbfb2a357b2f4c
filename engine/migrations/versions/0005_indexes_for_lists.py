"""indexes for the case list and the worklist at 100,000 cases

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_kommune_id', 'case', ['kommune', 'id'])
    op.create_index('ix_human_task_worklist_role', 'human_task',
                    ['kommune', 'state', 'role', 'claimed_by', 'assignee', 'due_at', 'created_at'])
    op.create_index('ix_human_task_kommune_state_assignee', 'human_task',
                    ['kommune', 'state', 'assignee'])
    op.create_index('ix_human_task_kommune_state_claimed', 'human_task',
                    ['kommune', 'state', 'claimed_by'])


def downgrade() -> None:
    op.drop_index('ix_human_task_kommune_state_claimed', 'human_task')
    op.drop_index('ix_human_task_kommune_state_assignee', 'human_task')
    op.drop_index('ix_human_task_worklist_role', 'human_task')
    op.drop_index('ix_case_kommune_id', 'case')
