//! XLSX workbooks: the first worksheet (or the one `--sheet` names), header in its first
//! non-empty row.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use super::{file_error, Cell, Columns, RawRow, RowCells};
use crate::profile::InvalidProfile;

/// Reads a worksheet of a workbook's bytes: its resolved header and its data rows.
/// `sheet`: the worksheet to read (`--sheet NAME`); without it, the first worksheet.
pub fn open(
    bytes: Vec<u8>,
    file: &str,
    sheet: Option<&str>,
) -> Result<(Columns, Vec<RawRow>), InvalidProfile> {
    if bytes.is_empty() {
        return Err(file_error(file, "文件为空", "the file is empty"));
    }
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|error| {
        file_error(
            file,
            format!("无法打开 Excel 工作簿：{error}"),
            format!("cannot open the Excel workbook: {error}"),
        )
    })?;
    let selected = match sheet {
        Some(name) => Some(Ok(by_name(&mut workbook, file, name)?)),
        None => workbook.worksheet_range_at(0),
    };
    let range = match selected {
        Some(Ok(range)) => range,
        Some(Err(error)) => {
            return Err(file_error(
                file,
                format!("无法读取第一个工作表：{error}"),
                format!("cannot read the first worksheet: {error}"),
            ))
        }
        None => {
            return Err(file_error(
                file,
                "工作簿中没有工作表",
                "the workbook has no worksheet",
            ))
        }
    };
    let Some((first_row, first_column)) = range.start() else {
        return Err(empty(file, sheet));
    };
    // Cells left of the used range are empty columns: keep letters in messages true.
    let padding = first_column as usize;
    let mut rows = range.rows().enumerate().map(|(index, cells)| {
        let mut row = vec![Cell::Empty; padding];
        row.extend(cells.iter().map(cell));
        (first_row as usize + index + 1, row)
    });
    let (header_number, header) = loop {
        match rows.next() {
            Some((number, cells)) if cells.iter().any(|c| *c != Cell::Empty) => {
                break (number, cells)
            }
            Some(_) => continue,
            None => return Err(empty(file, sheet)),
        }
    };
    let names: Vec<String> = header
        .iter()
        .map(|cell| match cell {
            Cell::Text(text) | Cell::Number(text) | Cell::DateTime(text) | Cell::Error(text) => {
                text.clone()
            }
            Cell::Bool(flag) => flag.to_string(),
            Cell::Date(date) => date.to_string(),
            Cell::Empty | Cell::Undecodable(_) => String::new(),
        })
        .collect();
    let columns = Columns::resolve(file, &names, header_number)?;
    let data = rows
        .filter(|(_, cells)| {
            cells.iter().any(|c| {
                !matches!(c, Cell::Empty) && !matches!(c, Cell::Text(t) if t.trim().is_empty())
            })
        })
        .map(|(number, cells)| RawRow {
            number,
            cells: RowCells::Cells(cells),
        })
        .collect();
    Ok((columns, data))
}

/// The worksheet named by `--sheet`; an absent name is an error listing the workbook's sheets.
fn by_name<R: std::io::Read + std::io::Seek>(
    workbook: &mut calamine::Sheets<R>,
    file: &str,
    name: &str,
) -> Result<calamine::Range<Data>, InvalidProfile> {
    let names = workbook.sheet_names();
    if !names.iter().any(|sheet| sheet == name) {
        let listed = names
            .iter()
            .map(|sheet| format!("“{sheet}”"))
            .collect::<Vec<_>>()
            .join("、");
        return Err(file_error(
            file,
            format!("没有名为“{name}”的工作表；工作簿中的工作表：{listed}"),
            format!(
                "no worksheet named '{name}'; the workbook has: {}",
                names.join(", ")
            ),
        ));
    }
    workbook.worksheet_range(name).map_err(|error| {
        file_error(
            file,
            format!("无法读取工作表“{name}”：{error}"),
            format!("cannot read the worksheet '{name}': {error}"),
        )
    })
}

fn empty(file: &str, sheet: Option<&str>) -> InvalidProfile {
    match sheet {
        Some(name) => file_error(
            file,
            format!("工作表“{name}”为空"),
            format!("the worksheet '{name}' is empty"),
        ),
        None => file_error(file, "第一个工作表为空", "the first worksheet is empty"),
    }
}

/// A calamine cell as a profile cell. Numbers keep their shortest exact decimal text.
fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) => Cell::Text(text.clone()),
        Data::Int(number) => Cell::Number(number.to_string()),
        Data::Float(number) => Cell::Number(float_text(*number)),
        Data::Bool(flag) => Cell::Bool(*flag),
        Data::DateTime(datetime) => match datetime.as_datetime() {
            Some(moment) if moment.time() == chrono::NaiveTime::MIN && datetime.is_datetime() => {
                Cell::Date(moment.date())
            }
            _ => Cell::DateTime(datetime.to_string()),
        },
        Data::DateTimeIso(text) => match crate::profile::value::parse_date(text) {
            Ok(date) => Cell::Date(date),
            Err(_) => Cell::DateTime(text.clone()),
        },
        Data::DurationIso(text) => Cell::DateTime(text.clone()),
        Data::Error(error) => Cell::Error(error.to_string()),
    }
}

/// A number cell as Excel shows it: rounded to 15 significant digits, Excel's own precision.
/// `=SUM(578.9,752.3,168.8)` stores 1499.9999999999998 and displays 1500; the bureau means
/// 1500, and exact bounds (`1500m² 以上`) must see 1500.
fn float_text(number: f64) -> String {
    if !number.is_finite() {
        return number.to_string();
    }
    let rounded = format!("{number:.14e}");
    match rust_decimal::Decimal::from_scientific(&rounded) {
        Ok(value) => value.normalize().to_string(),
        Err(_) => format!("{number}"),
    }
}

#[cfg(test)]
mod tests {
    use super::float_text;

    #[test]
    fn floats_keep_their_shortest_text() {
        assert_eq!(float_text(1500.0), "1500");
        assert_eq!(float_text(0.582), "0.582");
        assert_eq!(float_text(0.6999), "0.6999");
        // What Excel stores for sums it displays as round numbers.
        assert_eq!(float_text(578.9 + 752.3 + 168.8), "1500");
        assert_eq!(float_text(0.21 / 0.3), "0.7");
        assert_eq!(float_text(1999.9999999999998), "2000");
    }
}
