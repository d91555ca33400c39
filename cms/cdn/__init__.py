"""CDN purge: each change drops exactly the cached answers that showed it (app ``cdn``)."""
