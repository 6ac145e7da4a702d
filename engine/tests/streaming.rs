//! Streaming large results: the first batch stays in the result, later batches go to the
//! sink in order, and small results never touch the sink.

use engine::{Cell, Column, Instance, RowSink, SfResult, Streaming};

#[derive(Default)]
struct Batches(Vec<Vec<Vec<Cell>>>);

impl RowSink for Batches {
    fn batch(&mut self, columns: &[Column], rows: Vec<Vec<Cell>>) -> SfResult<()> {
        assert_eq!(columns[0].name, "N");
        self.0.push(rows);
        Ok(())
    }
}

fn number(value: i128) -> Cell {
    Cell::Decimal { value, scale: 0 }
}

#[test]
fn rows_past_the_first_batch_go_to_the_sink_in_order() {
    let mut s = Instance::open_memory("STREAM")
        .unwrap()
        .session("tester")
        .unwrap();
    s.execute("create database db").unwrap();
    s.execute("create table t (n int)").unwrap();
    s.execute("insert into t values (1), (2), (3), (4), (5), (6), (7)")
        .unwrap();

    let mut sink = Batches::default();
    let streaming = Streaming {
        batch_rows: 3,
        sink: &mut sink,
    };
    let result = s
        .execute_streaming("select n from t order by n", &[], streaming)
        .unwrap();
    assert_eq!(
        result.rows,
        vec![vec![number(1)], vec![number(2)], vec![number(3)]]
    );
    let sizes: Vec<usize> = sink.0.iter().map(Vec::len).collect();
    assert_eq!(sizes, [3, 1]);
    assert_eq!(sink.0[1][0], vec![number(7)]);

    let mut untouched = Batches::default();
    let streaming = Streaming {
        batch_rows: 100,
        sink: &mut untouched,
    };
    let small = s
        .execute_streaming("select n from t", &[], streaming)
        .unwrap();
    assert_eq!(small.rows.len(), 7);
    assert!(untouched.0.is_empty());
}

/// Takes DuckDB's Arrow batches when `accept` says so.
struct Columnar {
    accept: bool,
    rows: usize,
    rows_seen_as_cells: usize,
}

impl RowSink for Columnar {
    fn batch(&mut self, _columns: &[Column], rows: Vec<Vec<Cell>>) -> SfResult<()> {
        self.rows_seen_as_cells += rows.len();
        Ok(())
    }

    fn wants_columnar(&self) -> bool {
        true
    }

    fn accepts(
        &self,
        columns: &[Column],
        schema: &engine::duckdb::arrow::datatypes::Schema,
    ) -> bool {
        assert_eq!(columns.len(), schema.fields().len());
        self.accept
    }

    fn columnar_batch(
        &mut self,
        columns: &[Column],
        batch: engine::duckdb::arrow::record_batch::RecordBatch,
    ) -> SfResult<()> {
        assert_eq!(columns[0].name, "N");
        self.rows += batch.num_rows();
        Ok(())
    }
}

#[test]
fn a_columnar_sink_gets_every_row_as_arrow_or_declines_to_rows() {
    let mut s = Instance::open_memory("COLUMNAR")
        .unwrap()
        .session("tester")
        .unwrap();
    let sql = "with recursive r(n) as (select 1 union all select n + 1 from r where n < 5000) select n from r";
    let mut taker = Columnar {
        accept: true,
        rows: 0,
        rows_seen_as_cells: 0,
    };
    let result = s
        .execute_streaming(
            sql,
            &[],
            Streaming {
                batch_rows: 1000,
                sink: &mut taker,
            },
        )
        .unwrap();
    assert_eq!((taker.rows, result.rows.len()), (5000, 0));
    assert_eq!(result.columns[0].name, "N");

    let mut decliner = Columnar {
        accept: false,
        rows: 0,
        rows_seen_as_cells: 0,
    };
    let result = s
        .execute_streaming(
            sql,
            &[],
            Streaming {
                batch_rows: 1000,
                sink: &mut decliner,
            },
        )
        .unwrap();
    assert_eq!(decliner.rows, 0);
    assert_eq!(result.rows.len() + decliner.rows_seen_as_cells, 5000);
}
