"""The tracker: everything that speaks to the forge (today Pagure), behind the ``Tracker`` interface."""
