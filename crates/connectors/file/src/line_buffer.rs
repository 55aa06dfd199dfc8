//! The bytes a FileStream source has read and not yet returned as lines: one buffer, filled
//! at its end and consumed from its front, so taking lines moves no bytes; only the partial
//! line left at the front is moved back to the start before the next read.

/// Read but unconsumed bytes.
#[derive(Debug, Default)]
pub(crate) struct LineBuffer {
    buf: Vec<u8>,
    /// The first unconsumed byte.
    head: usize,
    /// The end of the read bytes.
    tail: usize,
}

impl LineBuffer {
    /// The bytes read and not yet consumed.
    pub(crate) fn data(&self) -> &[u8] {
        &self.buf[self.head..self.tail]
    }

    /// Marks the first `n` bytes of [`data`](Self::data) consumed.
    pub(crate) fn consume(&mut self, n: usize) {
        self.head = (self.head + n).min(self.tail);
        if self.head == self.tail {
            self.head = 0;
            self.tail = 0;
        }
    }

    /// Room to read into, at least `chunk` bytes: the unconsumed bytes move to the start,
    /// and the buffer grows when they fill more than half of it (a line longer than a chunk).
    pub(crate) fn spare(&mut self, chunk: usize) -> &mut [u8] {
        if self.head > 0 {
            self.buf.copy_within(self.head..self.tail, 0);
            self.tail -= self.head;
            self.head = 0;
        }
        if self.buf.len() - self.tail < chunk {
            let size = (self.tail + chunk).max(self.buf.len() * 2);
            self.buf.resize(size, 0);
        }
        &mut self.buf[self.tail..]
    }

    /// Records that `n` bytes were read into [`spare`](Self::spare).
    pub(crate) fn filled(&mut self, n: usize) {
        self.tail = (self.tail + n).min(self.buf.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(b: &mut LineBuffer, bytes: &[u8], chunk: usize) {
        let spare = b.spare(chunk);
        assert!(spare.len() >= chunk);
        spare[..bytes.len()].copy_from_slice(bytes);
        b.filled(bytes.len());
    }

    #[test]
    fn consumes_from_the_front_and_compacts_before_reading() {
        let mut b = LineBuffer::default();
        read(&mut b, b"ab\ncd", 8);
        assert_eq!(b.data(), b"ab\ncd");
        b.consume(3);
        assert_eq!(b.data(), b"cd");
        read(&mut b, b"e\n", 8);
        assert_eq!(b.data(), b"cde\n");
        assert_eq!(b.head, 0, "the partial line moved to the start");
        b.consume(4);
        assert!(b.data().is_empty());
        assert_eq!((b.head, b.tail), (0, 0));
    }

    #[test]
    fn grows_for_a_line_longer_than_a_chunk() {
        let mut b = LineBuffer::default();
        read(&mut b, b"0123", 4);
        read(&mut b, b"4567", 4);
        read(&mut b, b"89", 4);
        assert_eq!(b.data(), b"0123456789");
        assert!(b.buf.len() >= 10);
    }

    #[test]
    fn consuming_more_than_there_is_empties_it() {
        let mut b = LineBuffer::default();
        read(&mut b, b"abc", 4);
        b.consume(10);
        assert!(b.data().is_empty());
    }
}
