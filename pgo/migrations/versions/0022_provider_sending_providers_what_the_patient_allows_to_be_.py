"""providers: what the patient allows to be sent to a provider, and every item sent (#20)

Revision ID: 0022_provider_sending
Revises: 0021_staged_imports
Create Date: 2026-12-03 09:19:40.708274
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0022_provider_sending'
down_revision = '0021_staged_imports'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('provider_send_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('allowed', sa.Boolean(), nullable=False),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'provider_id', 'category', name='uq_provider_send_consent')
    )
    with op.batch_alter_table('provider_send_consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_send_consent_user_id'), ['user_id'], unique=False)

    op.create_table('provider_sent_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('provider_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('item_key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('identifier', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('resource_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('resource', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('queued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_attempt_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('server_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'provider_id', 'kind', 'item_key', name='uq_provider_sent_item')
    )
    with op.batch_alter_table('provider_sent_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_sent_item_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_provider_sent_item_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('provider_sent_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_sent_item_user_id'))
        batch_op.drop_index(batch_op.f('ix_provider_sent_item_status'))

    op.drop_table('provider_sent_item')
    with op.batch_alter_table('provider_send_consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_send_consent_user_id'))

    op.drop_table('provider_send_consent')
