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
