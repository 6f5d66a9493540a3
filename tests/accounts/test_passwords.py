"""The policy for new passwords (NIST SP 800-63B): a length and a blocklist, no composition
rules. Checked by the policy alone, through the store, and as the CLI reports it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from kuajing.accounts import passwords
from kuajing.accounts.passwords import WeakPassword
from kuajing.accounts.store import Accounts
from kuajing.services.sample import PASSWORD as SAMPLE_PASSWORD
from tests.accounts.test_accounts_cli import kuajing

EMAIL = "zhangwei@pharma.example"
CONTEXT = (EMAIL, "Zhang Wei", "Example Pharma (Beijing) Co., Ltd.", "pharma")
GOOD = "correct horse battery"

# password: the rule that refuses it
REFUSED = {
    "aaaaaaaaaaaa": "password_pattern",  # one character repeated
    "abcabcabcabcabc": "password_pattern",  # a short pattern repeated
    "abcdefghijklm": "password_pattern",  # a run
    "78901234567890": "password_pattern",  # a run of digits, wrapping at 9
    "password1234": "password_common",
    "QWERTY123456": "password_common",  # `qwerty123456` is on the list: case is ignored
    "Dragon!!2024": "password_common",  # `dragon` padded with digits and symbols
    "ｐａｓｓｗｏｒｄ１２３４": "password_common",  # full-width forms are the same password
    "Zhangwei2024": "password_personal",  # the e-mail's local part, padded to the length
    "zhangwei@pharma.example": "password_personal",
    "ZHANG WEI 2025!": "password_personal",  # the name
    "Example Pharma (Beijing) Co., Ltd.": "password_personal",
    "kuajing!2024!": "password_personal",  # the service's name
    "short": "password_short",
}
ACCEPTED = [
    GOOD,
    "tangerine-Otter-57-velvet-quarry",  # a long random passphrase
    "月光照在西湖的断桥上很安静",  # a Chinese passphrase
    "我的密码是一只会飞的猫 42",
    "P4ssw0rd is not my password at all",  # contains a listed word, is not one
    SAMPLE_PASSWORD,  # the sample loader's demo password
]


@pytest.mark.parametrize(("password", "reason"), REFUSED.items())
def test_weak_passwords_are_refused_saying_why(password: str, reason: str) -> None:
    with pytest.raises(WeakPassword) as refused:
        passwords.check(password, CONTEXT)
    assert refused.value.reason == reason
    message = str(refused.value)
    assert "\n" not in message and " / " in message  # English / Chinese, one line
    assert password.casefold() not in message.casefold()


@pytest.mark.parametrize("password", ACCEPTED)
def test_passphrases_in_any_script_are_accepted(password: str) -> None:
    passwords.check(password, CONTEXT)


def test_the_list_is_read_only_when_needed_and_without_the_package() -> None:
    """Importing the store does not read the list; the first check reads only zxcvbn's data
    module (the package's own import would build ranked dictionaries of six word lists)."""
    code = (
        "import sys\n"
        "from kuajing.accounts import passwords, store\n"
        "assert passwords._breached.cache_info().currsize == 0\n"
        "passwords.check('correct horse battery')\n"
        "assert len(passwords._breached()) == 30000\n"
        "assert not any(name.startswith('zxcvbn') for name in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr


# --- through the store and the command line ------------------------------------------------


@pytest.fixture
def accounts(db_url: str) -> Iterator[Accounts]:
    with Accounts.open(db_url) as store:
        store.create_organisation("pharma", "Example Pharma (Beijing) Co., Ltd.", zone="beijing")
        store.create_user("pharma", "admin@pharma.example", GOOD, role="admin")
        yield store


STORE_CASES = ["aaaaaaaaaaaa", "password1234", "QWERTY123456", "Zhangwei2024"]


@pytest.mark.parametrize("password", STORE_CASES)
def test_the_store_refuses_weak_passwords(accounts: Accounts, password: str) -> None:
    admin = accounts.authenticate("admin@pharma.example", GOOD)
    assert admin is not None
    with pytest.raises(WeakPassword):
        accounts.create_user("pharma", EMAIL, password)
    with pytest.raises(WeakPassword):
        accounts.add_user(admin, EMAIL, password, name="Zhang Wei")
    assert [u.email for u in accounts.users(admin)] == ["admin@pharma.example"]


@pytest.mark.parametrize("password", ACCEPTED[1:3])
def test_the_store_accepts_passphrases(accounts: Accounts, password: str) -> None:
    accounts.create_user("pharma", EMAIL, password)
    assert accounts.authenticate(EMAIL, password) is not None


@pytest.mark.parametrize("password", STORE_CASES)
def test_the_cli_refuses_weak_passwords_in_one_line(db_url: str, password: str) -> None:
    with Accounts.open(db_url) as store:
        store.create_organisation("pharma", "Example Pharma", zone="beijing")
    user = ["user", "create", EMAIL, "--org", "pharma", "--password-stdin"]
    run = kuajing(db_url, *user, stdin=password + "\n")
    assert run.returncode == 2 and not run.stdout
    [line] = run.stderr.splitlines()
    assert line.startswith("kuajing: error: this password ") and " / 该密码" in line
    assert password not in line
    with Accounts.open(db_url) as store:
        assert store.authenticate(EMAIL, password) is None
    assert kuajing(db_url, *user, stdin="月光照在西湖的断桥上很安静\n").returncode == 0
