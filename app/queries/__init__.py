"""The read model: queries over models that services, analytics, web and cli share."""
