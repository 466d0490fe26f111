"""Reading sources into documents: files, web pages, feeds, archives."""
