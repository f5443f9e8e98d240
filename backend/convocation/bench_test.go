package convocation

import (
	"bytes"
	"io"
	"testing"
)

// BenchmarkRender500 renders 500 A4 convocations (a busy mairie's month); the target is under 3 s.
func BenchmarkRender500(b *testing.B) {
	c := sample()
	for b.Loop() {
		for range 500 {
			if err := Render(io.Discard, c, A4); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRenderAll500 writes the same 500 convocations into one PDF (RenderAll).
func BenchmarkRenderAll500(b *testing.B) {
	cs := make([]Convocation, 500)
	for i := range cs {
		cs[i] = sample()
	}
	for b.Loop() {
		if err := RenderAll(io.Discard, cs, A4); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderTicket(b *testing.B) {
	c := sample()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Render(&buf, c, Ticket); err != nil {
			b.Fatal(err)
		}
	}
}
