"""``python -m takedown`` runs the ``takedown`` command."""

from takedown.cli import main

if __name__ == "__main__":
    main()
