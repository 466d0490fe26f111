"""The analysts' web page, served by the API app."""
