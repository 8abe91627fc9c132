//! kientruc-checker
