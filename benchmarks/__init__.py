"""Benchmarks of the assistant against Rasa's default pipeline (`make bench`, docs/benchmarks.md).

servers    start/stop the action server, Rasa server and console with a given model
traffic    conversations from the held-out NLU files (tests/nlu/), mixed across languages
rest       REST webhook load, /model/parse, the long conversation (asyncio + aiohttp)
sio        socket.io load (python-socketio AsyncClient, polling transport)
memory     RSS per process (psutil)
training   cold training time of our config and of the `rasa init` config
stats      percentiles and summaries
report     side-by-side table, plots, docs/benchmarks.md
run        one run, end to end
"""
