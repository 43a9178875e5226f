"""The communications kit (`output/site/<año>/kit/`): social cards, post texts, embeds, calendar,
press note, key figures and the press archive, all made from the edition's own data."""
