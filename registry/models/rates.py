"""How many requests each client made in its current window: the API's rate limits
(registry/serving/throttles.py) counted in the database, exactly, whatever the number of workers
or hosts (Redis counts instead when REDIS_URL is set)."""

import time

from django.db import connection, models
from django.utils.translation import gettext_lazy as _

__all__ = ["RateCount"]

# A row whose window ended this long ago is deleted when its client's next window begins.
KEPT_SECONDS = 24 * 3600


class RateCount(models.Model):
    """One client's count for one rate (its key: DRF's throttle key, e.g. "throttle_anon_<ip>"),
    in a window that begins at its first request and lasts the rate's duration."""

    key = models.CharField(_("key"), max_length=200, primary_key=True)
    started = models.FloatField(_("window started"), db_index=True)  # seconds since the epoch
    count = models.PositiveIntegerField(_("requests"))

    class Meta:
        verbose_name = _("rate count")

    def __str__(self):
        return f"{self.key}: {self.count}"

    @classmethod
    def hit(cls, key: str, seconds: int) -> tuple[int, float]:
        """One more request under `key`: (its number in the window, seconds until the window ends).
        One statement, atomic on SQLite and PostgreSQL alike (an insert or an update of the row,
        read back in the same statement), so that concurrent requests never lose a count."""
        now = time.time()
        table = cls._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO {table} ("key", started, "count") VALUES (%s, %s, 1) '
                'ON CONFLICT ("key") DO UPDATE SET '
                f'"count" = CASE WHEN {table}.started <= %s THEN 1 ELSE {table}."count" + 1 END, '
                f"started = CASE WHEN {table}.started <= %s THEN excluded.started ELSE {table}.started END "
                'RETURNING "count", started',
                [key, now, now - seconds, now - seconds],
            )
            count, started = cursor.fetchone()
            if count == 1:  # a new window: the rows of clients gone for a day go
                cursor.execute(f"DELETE FROM {table} WHERE started < %s", [now - KEPT_SECONDS])
        return count, max(0.0, started + seconds - now)
