"""Rasa's socket.io channel, able to run on several Rasa replicas.

With one replica it is Rasa's channel unchanged. With `SOCKETIO_REDIS_URL` set (the production
profile), the socket.io server shares its emits through Redis: a counsellor's reply or a bot
message produced on one replica reaches a person whose socket is connected to another.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

from bot.channels.guard import Guard

REDIS_URL_ENV = "SOCKETIO_REDIS_URL"


class SocketIOInput(RasaSocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"  # the same channel name as Rasa's: trackers and cases say "socketio"

    def blueprint(self, on_new_message: Callable[[Any], Awaitable[Any]]) -> Blueprint:
        guard = Guard()
        blueprint = super().blueprint(guard.wrap(on_new_message))
        guard.attach(blueprint)
        url = os.environ.get(REDIS_URL_ENV)
        if url and self.sio is not None:
            from socketio import AsyncRedisManager

            # Swapped in before the first connection; the server initialises its manager then.
            manager = AsyncRedisManager(url, channel="returnee-socketio")
            manager.set_server(self.sio)
            self.sio.manager = manager
        return blueprint
