//! Pages of the binary's built-in data that are read once, while parsing, and never again.
//!
//! The built-in tables are compiled into the binary (`include_bytes!`), so the system maps
//! their pages from the file as they are read and keeps them counted in the process's
//! resident memory for its whole life. A table that is parsed into heap structures once can
//! give the pages it will not read again back, at no risk: they are never written, so
//! reading them later (nothing does) would only map the same bytes from the file again.

use std::ops::Range;

/// The system's page size.
pub(crate) fn size() -> usize {
    #[cfg(unix)]
    {
        // SAFETY: sysconf only reads a system constant.
        let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        usize::try_from(size).unwrap_or(4096)
    }
    #[cfg(not(unix))]
    4096
}

/// Gives back the pages `pages` (an address range, page-aligned) of `data`, which must lie
/// within it. Debug builds check both; a release build skips pages that do not qualify.
pub(crate) fn release(data: &'static [u8], pages: Range<usize>) {
    let start = data.as_ptr() as usize;
    let fits = start <= pages.start
        && pages.end <= start + data.len()
        && pages.start.is_multiple_of(size())
        && pages.end.is_multiple_of(size());
    debug_assert!(fits, "{pages:x?} is not whole pages of the data");
    if !fits || pages.is_empty() {
        return;
    }
    #[cfg(unix)]
    // SAFETY: the range is whole pages inside `data`, a static of the binary's read-only
    // data: a private mapping of the executable file that nothing ever writes. MADV_DONTNEED
    // only drops these pages from the process; a later read maps the same bytes from the file
    // again, so no reference to `data` can observe a change.
    unsafe {
        libc::madvise(
            pages.start as *mut libc::c_void,
            pages.len(),
            libc::MADV_DONTNEED,
        );
    }
}
