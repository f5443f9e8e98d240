package server

import (
	"fmt"
	"net/http"
	"testing"

	"rdvguichet/sync/protocol"
	"rdvguichet/sync/testkit"
)

// BenchmarkPush10000 measures the central's side of a push of 10,000 ops (usager upserts, in
// batches of protocol.MaxBatch) over loopback HTTP into PostgreSQL: the ops of a batch share a
// few transactions (pgstore.ApplyBatch, one savepoint per op), each op recorded in applied_ops. make bench runs it when RDV_TEST_PG is set;
// docs/benchmarks.md, « Sync (issue 11) », holds the figures.
func BenchmarkPush10000(b *testing.B) {
	const n = 10000
	dsn := testkit.FreshDB(b)
	s, base := central(b, dsn)
	o, settings := newOffice(b, s, nil, 0)
	mustPush(b, base, o.token, settings)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		ops := make([]protocol.Op, n)
		for i := range ops {
			ops[i] = o.usagerOp(b, fmt.Sprintf("Charge%d", i))
		}
		b.StartTimer()
		for i := 0; i < n; i += protocol.MaxBatch {
			st, reply, er := push(b, base, o.token, ops[i:min(i+protocol.MaxBatch, n)])
			if st != http.StatusOK {
				b.Fatalf("push: %d %+v", st, er)
			}
			for _, r := range reply.Results {
				if !r.Accepted {
					b.Fatalf("op refused: %+v", r)
				}
			}
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "ops/s")
}
