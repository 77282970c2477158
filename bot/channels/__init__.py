"""Input channels of the Rasa server (Telegram on python-telegram-bot)."""
