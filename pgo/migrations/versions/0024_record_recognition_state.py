"""records: the catalogue version the stored records were last recognised with, in the database

Re-recognition at start-up (issue #15) kept this in a file of the instance folder, which each server of one
database had its own copy of (2026-12-03).

Revision ID: 0024_recognition_state
Revises: 0023_consent_current_team
Create Date: 2026-12-03 10:20:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0024_recognition_state'
down_revision = '0023_consent_current_team'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'record_recognition_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('catalogue_version', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('recognised_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('record_recognition_state')
