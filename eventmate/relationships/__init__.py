"""How well the user knows each contact (a level derived from what happened), logging
meetings, calls and messages, and the small circle of trusted allies."""
