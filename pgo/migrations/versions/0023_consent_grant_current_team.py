"""accounts: a partial index of current consent grants by team, patient and category, instead of one on revoked_at

A clinician's consenting patients are a subquery of their teams' current grants (issue #22, 2026-12-03). With the
index on revoked_at (mostly empty), SQLite without statistics read every current grant of every team through it.

Revision ID: 0023_consent_current_team
Revises: 0022_provider_sending
Create Date: 2026-12-03 09:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0023_consent_current_team'
down_revision = '0022_provider_sending'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('consent_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_grant_revoked_at'))
        batch_op.create_index('ix_consent_grant_current_team', ['team_id', 'user_id', 'category'], unique=False, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))


def downgrade() -> None:
    with op.batch_alter_table('consent_grant', schema=None) as batch_op:
        batch_op.drop_index('ix_consent_grant_current_team', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.create_index(batch_op.f('ix_consent_grant_revoked_at'), ['revoked_at'], unique=False)
