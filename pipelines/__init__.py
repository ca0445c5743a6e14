"""celedger: xAPI statements to continuing-education ledgers and compliance tables."""

__version__ = "0.1.0"
