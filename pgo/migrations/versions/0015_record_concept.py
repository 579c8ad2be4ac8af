"""records: the recognised catalogue concept of each record and how it was found (issue #15)

Revision ID: 0015_record_concept
Revises: 0014_unique_current
Create Date: 2026-12-03 06:05:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0015_record_concept'
down_revision = '0014_unique_current'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('record_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('concept_id', sqlmodel.sql.sqltypes.AutoString(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('concept_how', sqlmodel.sql.sqltypes.AutoString(length=12), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('record_entry', schema=None) as batch_op:
        batch_op.drop_column('concept_how')
        batch_op.drop_column('concept_id')
