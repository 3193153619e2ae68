"""The main window: its layout, menus, dialogs, and the parts it composes from panels and jobs."""
