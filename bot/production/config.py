"""The production profile's layout and the configuration files it writes (pure: no processes).

Everything listens on loopback. nginx is the single entry for Rasa (REST, socket.io, Telegram
webhook, HTTP API) and for the action servers; a TLS proxy or the host's nginx goes in front of
it in a real deployment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.paths import VAR

# Redis lock tickets expire after this many seconds, so a conversation whose replica died waits
# at most this long. It must exceed the slowest turn: nginx gives an action 10 s
# (ACTION_READ_TIMEOUT), and Rasa's own default of 60 s would stall such a conversation a minute.
LOCK_LIFETIME_SECONDS = 15
ACTION_READ_TIMEOUT = 10


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Layout:
    var: Path = field(default_factory=lambda: VAR / "prod")
    rasa_port: int = 5005  # nginx: the public entry for Rasa
    actions_port: int = 5055  # nginx: what the Rasa replicas call
    console_port: int = 5070
    replica_ports: tuple[int, ...] = (5011, 5012)
    action_ports: tuple[int, ...] = (5061, 5062)
    postgres_port: int = 5433
    redis_port: int = 6380
    user: str = "returnee"

    @classmethod
    def from_env(cls) -> Layout:
        return cls(
            rasa_port=_port("RASA_PORT", 5005),
            actions_port=_port("ACTIONS_PORT", 5055),
            console_port=_port("CONSOLE_PORT", 5070),
            postgres_port=_port("POSTGRES_PORT", 5433),
            redis_port=_port("REDIS_PORT", 6380),
        )

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def database_url(self, database: str, password: str) -> str:
        return f"postgresql+psycopg2://{self.user}:{password}@127.0.0.1:{self.postgres_port}/{database}"


def endpoints(layout: Layout) -> dict[str, Any]:
    """Rasa's endpoints: PostgreSQL tracker store, Redis lock store (bot/locks.py: Rasa's own lets
    two replicas run turns of one person at once), actions behind nginx.

    The password stays out of the file: Rasa expands ${RETURNEE_DB_PASSWORD} when it reads it.
    """
    return {
        "action_endpoint": {"url": f"http://127.0.0.1:{layout.actions_port}/webhook"},
        "nlg": {"type": "bot.nlg.LanguageNLG", "responses_dir": "data/responses"},
        "tracker_store": {
            "type": "bot.stores.ResilientSQLTrackerStore",
            "dialect": "postgresql",
            "url": "127.0.0.1",
            "port": layout.postgres_port,
            "db": "tracker",
            "username": layout.user,
            "password": "${RETURNEE_DB_PASSWORD}",
        },
        "lock_store": {
            "type": "bot.locks.SharedRedisLockStore",
            "url": "127.0.0.1",
            "port": layout.redis_port,
            "db": 0,
            "key_prefix": "returnee",
        },
    }


def redis_arguments(layout: Layout) -> list[str]:
    # Locks and socket.io messages only: nothing worth persisting, so no dump files either.
    return [
        "--bind", "127.0.0.1", "--port", str(layout.redis_port), "--save", "",
        "--appendonly", "no", "--dir", str(layout.var / "redis"), "--protected-mode", "yes",
    ]  # fmt: skip


def _servers(ports: tuple[int, ...], extra: str = "") -> str:
    return "\n".join(f"        server 127.0.0.1:{port}{extra};" for port in ports)


def nginx_conf(layout: Layout, *, as_root: bool) -> str:
    prefix = layout.var / "nginx"
    temp = prefix / "tmp"
    return f"""# Written by bot/production (make run-prod); edits are overwritten.
{"user root;" if as_root else ""}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    # Request lines carry conversation ids: no access log.
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    # A chat message is small: larger bodies are refused here, before Rasa parses them.
    client_max_body_size 64k;

    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    # socket.io's long-polling needs every request of a session on one replica: hash on the
    # client's `session` query argument when it sends one, else on its address. The widget
    # uses websockets (one connection), so any replica will do for it.
    map $arg_session $socketio_key {{ "" $remote_addr; default $arg_session; }}

    # max_fails=0 everywhere: a server is never taken out of rotation for a while. A stopped
    # one refuses at once and the next is tried; out of rotation, a replica back from a restart
    # stayed unused for 10 s, and a slow answer on a busy machine made both action servers
    # look dead.
    upstream rasa {{
{_servers(layout.replica_ports, " max_fails=0")}
        keepalive 16;
    }}
    upstream rasa_socketio {{
        hash $socketio_key consistent;
{_servers(layout.replica_ports, " max_fails=0")}
    }}
    upstream actions {{
{_servers(layout.action_ports, " max_fails=0")}
        keepalive 16;
    }}

    server {{
        listen 127.0.0.1:{layout.rasa_port};
        location /socket.io/ {{
            proxy_pass http://rasa_socketio;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 1h;
        }}
        location / {{
            proxy_pass http://rasa;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            # A replica that refuses the connection is skipped; a message it was already
            # handling is not sent twice (the client gets 502 and may send it again).
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}
    server {{
        listen 127.0.0.1:{layout.actions_port};
        # Rasa sends the whole session and the domain with every action call (hundreds of KB
        # in a long conversation): internal traffic, so the public 64 KB cap does not apply.
        client_max_body_size 16m;
        client_body_buffer_size 1m;
        location / {{
            proxy_pass http://actions;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
            # Both action servers down or stuck: nginx answers 502/504 and the Rasa replica
            # apologises in the person's language (bot/action_unavailable.py).
            proxy_read_timeout {ACTION_READ_TIMEOUT}s;
        }}
    }}
}}
"""
