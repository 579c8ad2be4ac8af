"""measurements: a partial index of flagged readings by patient and time instead of an index on the flag alone

A plain index on the flag led SQLite through every flagged reading of every patient for one patient's page; the
clinician's lists ask for the flagged readings of some patients since a day (issue #22).

Revision ID: 0019_measurement_flagged
Revises: 0018_questionnaires
Create Date: 2026-12-03 06:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0019_measurement_flagged'
down_revision = '0018_questionnaires'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measurement_flagged'))
        batch_op.create_index('ix_measurement_flagged_user_time', ['user_id', 'measured_at'], unique=False, sqlite_where=sa.text('flagged = 1'), postgresql_where=sa.text('flagged'))


def downgrade() -> None:
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_index('ix_measurement_flagged_user_time', sqlite_where=sa.text('flagged = 1'), postgresql_where=sa.text('flagged'))
        batch_op.create_index(batch_op.f('ix_measurement_flagged'), ['flagged'], unique=False)
