//! kientruc-reports
