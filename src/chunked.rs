//! A vector that is cheap to copy and to change a copy of: its elements live in shared chunks,
//! and changing an element copies only that element's chunk. Snapshots of a live community
//! share everything a change does not touch.

use std::sync::Arc;

/// Elements per chunk: a change copies this many elements, a clone copies one pointer per this
/// many.
const CHUNK: usize = 1024;

/// A copy-on-write vector in chunks of [`CHUNK`] elements (see the module docs).
#[derive(Debug)]
pub(crate) struct Chunked<T> {
    /// Full chunks of [`CHUNK`] elements, the last one possibly shorter.
    chunks: Vec<Arc<[T]>>,
    len: usize,
}

impl<T> Clone for Chunked<T> {
    fn clone(&self) -> Self {
        Chunked {
            chunks: self.chunks.clone(),
            len: self.len,
        }
    }
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Clone> Chunked<T> {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        (i < self.len).then(|| &self.chunks[i / CHUNK][i % CHUNK])
    }

    /// Appends `value`: a new chunk, or the last chunk copied one element longer (appends to a
    /// live community are rare; a whole vector is built by [`FromIterator`]).
    pub(crate) fn push(&mut self, value: T) {
        if self.len % CHUNK == 0 {
            self.chunks.push(Arc::from(vec![value]));
        } else {
            let last = self.chunks.last_mut().expect("a partial chunk exists");
            let mut longer: Vec<T> = Vec::with_capacity(last.len() + 1);
            longer.extend_from_slice(last);
            longer.push(value);
            *last = Arc::from(longer);
        }
        self.len += 1;
    }

    /// Replaces element `i`, copying its chunk only if another copy shares it.
    ///
    /// # Panics
    ///
    /// When `i` is out of range (a caller's bug: ids are checked before).
    pub(crate) fn set(&mut self, i: usize, value: T) {
        assert!(i < self.len, "index {i} out of {}", self.len);
        Arc::make_mut(&mut self.chunks[i / CHUNK])[i % CHUNK] = value;
    }

    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = &T> + '_ {
        Iter {
            chunks: self.chunks.iter(),
            current: [].iter(),
            left: self.len,
        }
    }
}

impl<T: Clone> FromIterator<T> for Chunked<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut chunks = Vec::new();
        let mut len = 0;
        let mut chunk: Vec<T> = Vec::with_capacity(CHUNK);
        for item in items {
            chunk.push(item);
            len += 1;
            if chunk.len() == CHUNK {
                chunks.push(Arc::from(std::mem::replace(
                    &mut chunk,
                    Vec::with_capacity(CHUNK),
                )));
            }
        }
        if !chunk.is_empty() {
            chunks.push(Arc::from(chunk));
        }
        Chunked { chunks, len }
    }
}

impl<T: Clone> From<Vec<T>> for Chunked<T> {
    fn from(items: Vec<T>) -> Self {
        items.into_iter().collect()
    }
}

impl<T> std::ops::Index<usize> for Chunked<T> {
    type Output = T;

    #[inline]
    fn index(&self, i: usize) -> &T {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

struct Iter<'a, T> {
    chunks: std::slice::Iter<'a, Arc<[T]>>,
    current: std::slice::Iter<'a, T>,
    left: usize,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        loop {
            if let Some(x) = self.current.next() {
                self.left -= 1;
                return Some(x);
            }
            self.current = self.chunks.next()?.iter();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_share_what_is_not_changed() {
        let a: Chunked<u32> = (0..3000).collect();
        let mut b = a.clone();
        b.set(1500, 7);
        b.push(9);
        assert_eq!(a[1500], 1500);
        assert_eq!(b[1500], 7);
        assert_eq!((a.len(), b.len()), (3000, 3001));
        assert!(
            Arc::ptr_eq(&a.chunks[0], &b.chunks[0]),
            "untouched chunk shared"
        );
        assert!(
            !Arc::ptr_eq(&a.chunks[1], &b.chunks[1]),
            "changed chunk copied"
        );
        assert_eq!(
            b.iter().copied().sum::<u32>(),
            (0..3000).sum::<u32>() - 1500 + 7 + 9
        );
        assert_eq!(b.iter().len(), 3001);
        assert_eq!(b.get(3001), None);
    }
}
