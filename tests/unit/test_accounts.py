import pytest

from pgo.accounts.models import Role
from pgo.accounts.service import AccountError, authenticate, change_password, create_user
from pgo.i18n import use_locale


def test_create_and_authenticate(session):
    user = create_user(session=session, email=" Anna@Example.NL ", password="lange-zin-123", name="Anna")
    session.commit()
    assert user.email == "anna@example.nl"
    assert user.password_hash.startswith("$argon2id$")
    assert authenticate(session=session, email="ANNA@example.nl", password="lange-zin-123").user.id == user.id
    assert not authenticate(session=session, email="anna@example.nl", password="verkeerd-wachtwoord").ok
    assert not authenticate(session=session, email="nobody@example.nl", password="lange-zin-123").ok


def test_duplicate_email_refused(session):
    create_user(session=session, email="a@example.nl", password="lange-zin-123")
    with pytest.raises(AccountError, match="Er is al een account met dit e-mailadres"):
        create_user(session=session, email="A@example.nl", password="andere-zin-456", role=Role.CLINICIAN)


@pytest.mark.parametrize("password", ["kort", "wachtwoord123", "a@example.nl"])
def test_weak_passwords_refused(session, password):
    with pytest.raises(AccountError, match="wachtwoord"):
        create_user(session=session, email="a@example.nl", password=password)


def test_password_change(session):
    user = create_user(session=session, email="a@example.nl", password="lange-zin-123")
    with use_locale("en"), pytest.raises(AccountError, match="current password"):
        change_password(session=session, user=user, current="fout-fout-fout", new="nieuwe-zin-456")
    change_password(session=session, user=user, current="lange-zin-123", new="nieuwe-zin-456")
    assert not authenticate(session=session, email="a@example.nl", password="lange-zin-123").ok
    assert authenticate(session=session, email="a@example.nl", password="nieuwe-zin-456").ok
