"""notes2tickets: file the action items of Markdown meeting notes as Pagure tickets, once."""

__version__ = "0.1.0"
