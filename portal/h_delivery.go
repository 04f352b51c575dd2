package portal

import (
	"errors"
	"net/http"
	"strconv"
	"time"
)

// mailRetryAfter is how long the citizen is asked to wait before trying
// again when a message could not go out.
const mailRetryAfter = 2 * time.Minute

// deliveryAnswer says how to answer err when it is a failed delivery:
// refusedKey for an address the mail server refused, failedKey for any
// other failure; key is "" when err is not a delivery failure (then the
// generic 500). Nothing was recorded either way (messages go out inside
// the transaction), which the messages say. The server's reply is never
// shown: it may quote the relay's user name or its configuration.
//
// Statuses: a refused address gets 422 like the forms' other errors, as
// only another address will do. Any other failure (server down or
// refusing the portal, timeout, outbox not writable) gets 503 with
// Retry-After: the portal works but a service it needs does not, and
// trying again later is the cure. Not 502, which tells of a gateway
// passing on a bad upstream answer; the portal answers for itself here.
func deliveryAnswer(w http.ResponseWriter, err error, refusedKey, failedKey string) (status int, key string) {
	switch {
	case !errors.Is(err, errDelivery):
		return 0, ""
	case recipientRefused(err):
		return http.StatusUnprocessableEntity, refusedKey
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(mailRetryAfter/time.Second)))
	return http.StatusServiceUnavailable, failedKey
}
