package web

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/convocation"
	"rdvguichet/backend/messages"
)

// notice is the page of a refusal or a failure: a title, a sentence, and where to go next.
type notice struct {
	Text string
	Home bool // link to the organisation's first page
}

// failure answers a request that cannot go on with a page that says why, in the page's
// language. An internal failure is logged by its code and kind only.
func (h *Handler) failure(w http.ResponseWriter, p *page, err error) {
	code := agenda.CodeOf(err)
	status, title := http.StatusInternalServerError, "online_title_error"
	switch {
	case code == agenda.CodeCancelLinkInvalid:
		status, title = http.StatusNotFound, "online_title_link_invalid"
	case code == agenda.CodeCancelLinkExpired:
		status, title = http.StatusGone, "online_title_link_invalid"
	case code == agenda.CodeOnlineClosed:
		status, title = http.StatusNotFound, "online_title_closed"
	case code == agenda.CodeMethodNotAllowed:
		status, title = http.StatusMethodNotAllowed, "online_title_error"
	case agenda.KindOf(err) == agenda.NotFound:
		status, title = http.StatusNotFound, "online_title_notfound"
	case agenda.KindOf(err) == agenda.Invalid || agenda.KindOf(err) == agenda.Conflict:
		status = http.StatusBadRequest
	}
	n := notice{Text: messages.Text(p.Lang, code, agenda.ParamsOf(err)), Home: p.Org.Slug != "" && code != agenda.CodeOnlineClosed}
	switch status {
	case http.StatusNotFound:
		if title == "online_title_notfound" {
			n.Text = p.T("online_notfound")
		}
	case http.StatusInternalServerError:
		h.log.Error("online page failed", "code", string(code), "kind", agenda.KindOf(err).String())
		n.Text = p.T("online_error")
	}
	if code == agenda.CodeOnlineClosed && p.Org.Phone != "" {
		n.Text = p.T("online_closed_phone", "phone", convocation.PhoneText(p.Org.Phone))
	}
	p.Title = p.T(title)
	h.render(w, p, status, "notice", n)
}

// limited answers 429 with the wait, in French (or English), and Retry-After.
func (h *Handler) limited(w http.ResponseWriter, p *page, wait time.Duration) {
	secs := strconv.Itoa(int(math.Ceil(max(wait, time.Second).Seconds())))
	w.Header().Set("Retry-After", secs)
	p.Title = p.T("online_title_limited")
	h.render(w, p, http.StatusTooManyRequests, "notice", notice{Text: p.T("online_limited", "seconds", secs)})
}
