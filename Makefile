# The two commands a new user needs: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run run-prod test train cases counsellor lint validate eval stories clean

# The environment is rebuilt only when the lock or pyproject changes.
$(STAMP): uv.lock pyproject.toml scripts/bootstrap.sh
	bash scripts/bootstrap.sh
	touch $(STAMP)

install: $(STAMP)

train: install
	$(PY) -m bot.cli train

run: install
	$(PY) -m bot.cli run

# Production profile on this machine: PostgreSQL, Redis, 2 Rasa replicas and 2 action servers
# behind nginx, the console on PostgreSQL (README, "Production"). Data stays in var/prod.
run-prod: install
	bash scripts/system_packages.sh
	$(PY) -m bot.production

validate: install
	$(VENV)/bin/rasa data validate --domain domain.yml --data data/nlu data/rules.yml data/stories.yml --max-history 5

lint: install
	$(VENV)/bin/ruff check bot actions tests scripts benchmarks

eval: train
	$(PY) scripts/evaluate.py

# Latency, throughput, memory and training time against Rasa's default pipeline
# (docs/benchmarks.md, benchmarks/settings.py). BENCH_QUICK=1: smoke run, 1-2 minutes.
.PHONY: bench
bench: train
	$(PY) -m benchmarks

# Test stories in every language (tests/stories/test_<lang>.yml): the person's words through the
# real model (--e2e), then every next action, against the trained model.
stories: train
	$(VENV)/bin/rasa test core --e2e --model models/current.tar.gz --stories tests/stories \
		--fail-on-prediction-errors --no-plot --out var/story-results

# PROD=1: the production profile's databases (make run-prod), for this and `make counsellor`.
cases: install
	$(PY) -m bot.cli $(if $(PROD),--prod,) cases $(if $(ALL),--all,)

# make counsellor LOGIN=ana ROLE=admin LANGUAGES=fr,ar PARTNER=Caritas  (asks for the password)
counsellor: install
	$(PY) -m bot.cli $(if $(PROD),--prod,) counsellor add $(LOGIN) --role $(or $(ROLE),counsellor) \
		--languages "$(LANGUAGES)" --partner "$(PARTNER)"

test: install
	bash scripts/system_packages.sh
	$(MAKE) --no-print-directory validate
	$(MAKE) --no-print-directory lint
	$(PY) -m bot.cli train --skip-validation
	$(MAKE) --no-print-directory stories
	$(PY) -m pytest -q

clean:
	rm -rf models var .cache/rasa results artifacts
