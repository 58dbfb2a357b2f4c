"""Staff and kommuner: users with roles in one kommune, password checks, API tokens, settings.

Passwords are hashed with scrypt (memory-hard, in the standard library) and a random salt per
user; API tokens are random 32-byte strings of which only the SHA-256 is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from sqlalchemy import select, update

from .bundle import due_delta
from .clock import SystemClock
from .db import make_engine, session_factory
from .errors import EngineError, NotFound
from .models import ApiToken, Kommune, User
from .types import KommuneInfo, UserInfo

#: role ids a user may hold; the first three are the lanes of a diagram
STAFF_ROLES = ("koordinerende_enhet", "koordinator", "leder", "prosesseier", "admin")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,99}$")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class StaffError(EngineError):
    """A user or kommune cannot be created or changed as asked; `field` names the bad value
    and `reason` says what is wrong with it (`format`, `taken`, `unknown`, `last_admin`)."""

    def __init__(self, message: str, field: str | None = None, reason: str | None = None):
        super().__init__(message)
        self.field = field
        self.reason = reason


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt${n}${r}${p}${salt}${digest}".format(
        **_SCRYPT, salt=base64.b64encode(salt).decode(), digest=base64.b64encode(digest).decode())


def check_password(stored: str | None, password: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = (stored or "").split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r),
                         p=int(p), dklen=32)
    return hmac.compare_digest(got, base64.b64decode(digest))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Staff:
    """Users and kommuner over one database (the engine's)."""

    def __init__(self, database_url: str | None = None, clock: SystemClock | None = None,
                 db=None):  # type: ignore[no-untyped-def]
        self.db = db if db is not None else make_engine(database_url)
        self._session = session_factory(self.db)
        self.clock = clock or SystemClock()

    # --- users ---------------------------------------------------------------------------

    def add_user(self, username: str, kommune: str, roles: list[str], full_name: str = "",
                 password: str | None = None) -> UserInfo:
        if not _USERNAME.match(username):
            raise StaffError(f"user name '{username}' must be 2-100 lower-case letters, digits, "
                             "dots, dashes or underscores", field="username", reason="format")
        unknown = [r for r in roles if r not in STAFF_ROLES]
        if unknown or not roles:
            raise StaffError(f"unknown role {', '.join(unknown) or '(none)'}: choose from "
                             f"{', '.join(STAFF_ROLES)}", field="roles", reason="unknown")
        with self._session() as s, s.begin():
            if s.scalars(select(User).where(User.username == username)).first():
                raise StaffError(f"user '{username}' already exists", field="username",
                                 reason="taken")
            user = User(username=username, kommune=kommune, full_name=full_name or username,
                        roles=" ".join(dict.fromkeys(roles)),
                        password_hash=hash_password(password) if password else None,
                        active=True, absent=False, created_at=self.clock.now())
            s.add(user)
            s.flush()
            return self._info(user)

    def update_user(self, kommune: str, username: str, roles: list[str], full_name: str,
                    active: bool) -> UserInfo:
        """Change a user's roles, name and whether they may sign in (a user of this kommune).

        A kommune keeps at least one active admin: the change that would leave none is refused.
        """
        unknown = [r for r in roles if r not in STAFF_ROLES]
        if unknown or not roles:
            raise StaffError(f"unknown role {', '.join(unknown) or '(none)'}: choose from "
                             f"{', '.join(STAFF_ROLES)}", field="roles", reason="unknown")
        with self._session() as s, s.begin():
            user = s.scalars(select(User).where(User.username == username)).first()
            if user is None or user.kommune != kommune:
                raise NotFound(f"user '{username}' does not exist")
            user.roles = " ".join(dict.fromkeys(roles))
            user.full_name = full_name.strip() or user.username
            user.active = active
            s.flush()
            admins = s.scalars(select(User).where(User.kommune == kommune,
                                                  User.active.is_(True))).all()
            if not any("admin" in u.roles.split() for u in admins):
                raise StaffError("the kommune would have no active admin left", field="roles",
                                 reason="last_admin")
            return self._info(user)

    def set_password(self, username: str, password: str) -> None:
        with self._session() as s, s.begin():
            done = s.execute(update(User).where(User.username == username).values(
                password_hash=hash_password(password)))
            if done.rowcount != 1:
                raise NotFound(f"user '{username}' does not exist")

    def authenticate(self, username: str, password: str) -> UserInfo | None:
        """The user if the name and password match an active user, else None."""
        with self._session() as s:
            user = s.scalars(select(User).where(User.username == username.strip().lower())).first()
            if user is None or not user.active:
                check_password(None, password)  # same work either way
                return None
            return self._info(user) if check_password(user.password_hash, password) else None

    def get_user(self, user_id: int) -> UserInfo | None:
        with self._session() as s:
            user = s.get(User, user_id)
            return self._info(user) if user is not None and user.active else None

    def find_user(self, username: str) -> UserInfo:
        with self._session() as s:
            user = s.scalars(select(User).where(User.username == username)).first()
            if user is None:
                raise NotFound(f"user '{username}' does not exist")
            return self._info(user)

    def users(self, kommune: str) -> list[UserInfo]:
        with self._session() as s:
            rows = s.scalars(select(User).where(User.kommune == kommune).order_by(User.username))
            return [self._info(u) for u in rows]

    def create_token(self, username: str) -> str:
        """A new API token for the user, shown once; only its hash is kept."""
        token = "kt_" + secrets.token_urlsafe(32)
        with self._session() as s, s.begin():
            user = s.scalars(select(User).where(User.username == username)).first()
            if user is None:
                raise NotFound(f"user '{username}' does not exist")
            s.add(ApiToken(user_id=user.id, token_hash=_token_hash(token),
                           created_at=self.clock.now(), revoked=False))
        return token

    def user_for_token(self, token: str) -> UserInfo | None:
        with self._session() as s:
            row = s.scalars(select(ApiToken).where(ApiToken.token_hash == _token_hash(token),
                                                   ApiToken.revoked.is_(False))).first()
            if row is None:
                return None
            user = s.get(User, row.user_id)
            return self._info(user) if user is not None and user.active else None

    @staticmethod
    def _info(u: User) -> UserInfo:
        return UserInfo(id=u.id, username=u.username, kommune=u.kommune, full_name=u.full_name,
                        roles=tuple(u.roles.split()), active=u.active, absent=bool(u.absent))

    # --- kommuner ------------------------------------------------------------------------

    def save_kommune(self, info: KommuneInfo) -> KommuneInfo:
        if info.language not in ("nb", "nn"):
            raise StaffError(f"målform '{info.language}' must be nb or nn", "language")
        if info.number is not None and not re.fullmatch(r"\d{4}", info.number):
            raise StaffError(f"kommunenummer '{info.number}' must be four digits", "number")
        if info.evaluation_interval and due_delta(info.evaluation_interval) is None:
            raise StaffError(f"evaluation interval '{info.evaluation_interval}' is not an ISO 8601 "
                             "duration such as P6M", "evaluation_interval")
        if not info.name.strip():
            raise StaffError("the kommune needs a name", "name")
        with self._session() as s, s.begin():
            row = s.get(Kommune, info.code) or Kommune(code=info.code)
            for key, value in vars(info).items():
                setattr(row, key, value)
            s.add(row)
        return info

    def kommune(self, code: str) -> KommuneInfo:
        """The kommune's settings; a kommune nobody has set up gets the defaults."""
        with self._session() as s:
            row = s.get(Kommune, code)
            if row is None:
                return KommuneInfo(code=code, name=code.capitalize())
            return KommuneInfo(code=row.code, name=row.name, number=row.number,
                               language=row.language, initials_only=row.initials_only,
                               coordinator_term=row.coordinator_term, unit_name=row.unit_name,
                               unit_contact=row.unit_contact,
                               evaluation_interval=row.evaluation_interval)
