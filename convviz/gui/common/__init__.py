"""What every part of the window shares: theme, translations, tiles, small widgets, zoom and figure export."""
