/* termijn: the engine's state, shared by engine.c and engine_batch.c only. */
#ifndef TERMIJN_ENGINE_PRIVATE_H
#define TERMIJN_ENGINE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "termijn/engine.h"

struct record;

struct engine {
	struct store	*en_store;
	struct registry	*en_registry;
	struct record	*en_record;	/* every effect of a case goes here */
	int		 en_settle_max;	/* transitions per case per call */
	int		 en_decree_refuse; /* refuse client writes whose dates
					      need unknown decree data */
	int		 en_client;	/* inside a client's write */
	int64_t		 en_queued_min;	/* earliest rung queued while firing */
};

/*
 * Fire up to max due rungs in the caller's transaction.  When one cannot
 * fire for anything but the store, -1 with that rung in *failed: the caller
 * rolls back, sets it aside (engine_set_aside, in a transaction of its
 * own) and fires again.
 */
int	 engine_fire_due(struct engine *, int64_t now, size_t max,
	    struct fire_result *, struct rung_row *failed,
	    struct engine_error *);
/* Mark a rung that cannot fire as skipped, so that it holds nothing up. */
int	 engine_set_aside(struct engine *, const struct rung_row *, int64_t now,
	    struct engine_error *);
int	 engine_error_is_store(const struct engine_error *);

#endif /* TERMIJN_ENGINE_PRIVATE_H */
