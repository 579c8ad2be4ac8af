"""helpers: proxy access grants, a person's date of birth, who entered a measurement (#21)

A patient's helpers (helper_grant), the date of birth the rules for children's helpers depend on
(account_birth_date) and the helper who entered a measurement for the patient (measurement.entered_by_id).

Revision ID: 0020_helpers
Revises: 0019_measurement_flagged
Create Date: 2026-12-03 09:19:04.971918
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0020_helpers'
down_revision = '0019_measurement_flagged'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('account_birth_date',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('helper_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('helper_id', sa.Integer(), nullable=True),
    sa.Column('invited_email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('categories', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('relation', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('accepted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('child_agreed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('revoked_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['helper_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['patient_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['revoked_by'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_hash')
    )
    with op.batch_alter_table('helper_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_helper_grant_helper_id'), ['helper_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_helper_grant_patient_id'), ['patient_id'], unique=False)

    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entered_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_measurement_entered_by_id_user_account', 'user_account', ['entered_by_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_constraint('fk_measurement_entered_by_id_user_account', type_='foreignkey')
        batch_op.drop_column('entered_by_id')

    with op.batch_alter_table('helper_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_helper_grant_patient_id'))
        batch_op.drop_index(batch_op.f('ix_helper_grant_helper_id'))

    op.drop_table('helper_grant')
    op.drop_table('account_birth_date')
