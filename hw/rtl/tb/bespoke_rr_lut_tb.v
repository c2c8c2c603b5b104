// Icarus testbench of the range-reduced Bespoke LUT unit: loads the golden table through the load port,
// streams the 32-bit stimulus codes LANES at a time and writes one 32-bit output word per line (hex)
// for `npusim check-rtl`. Compile with -DRSQRT_UNIT for the rsqrt unit.
// Plusargs: +base=FILE +stimulus=FILE +count=N +out=FILE
`timescale 1ns / 1ps
module bespoke_rr_lut_tb;
  localparam integer LANES = 4;
  localparam integer MAX_CODES = 1100000;
`ifdef RSQRT_UNIT
  localparam integer RSQRT = 1;
`else
  localparam integer RSQRT = 0;
`endif

  reg clk = 1'b0;
  reg rst_n = 1'b0;
  reg load_en = 1'b0;
  reg [8:0] load_addr = 9'd0;
  reg [15:0] load_data = 16'd0;
  reg in_valid = 1'b0;
  reg [LANES*32-1:0] in_code = 0;
  wire out_valid;
  wire [LANES*32-1:0] out_data;

  bespoke_rr_lut_unit #(.LANES(LANES), .RSQRT(RSQRT)) dut (
      .clk(clk), .rst_n(rst_n), .load_en(load_en), .load_addr(load_addr), .load_data(load_data),
      .in_valid(in_valid), .in_code(in_code), .out_valid(out_valid), .out_data(out_data));

  always #1 clk = ~clk;

  reg [15:0] base_words [0:256];
  reg [31:0] codes [0:MAX_CODES-1];
  reg [1023:0] base_file, stimulus_file, out_file;
  integer count, out_fd, i, in_lane, out_lane, written;

  initial begin
    if (!$value$plusargs("base=%s", base_file) || !$value$plusargs("stimulus=%s", stimulus_file) ||
        !$value$plusargs("count=%d", count) || !$value$plusargs("out=%s", out_file) || count > MAX_CODES) begin
      $display("usage: +base=FILE +stimulus=FILE +count=N (at most %0d) +out=FILE", MAX_CODES);
      $finish;
    end
    $readmemh(base_file, base_words);
    $readmemh(stimulus_file, codes, 0, count - 1);
    out_fd = $fopen(out_file, "w");
    @(negedge clk) rst_n = 1'b1;
    for (i = 0; i < 257; i = i + 1) begin
      @(negedge clk);
      load_en = 1'b1; load_addr = i[8:0]; load_data = base_words[i];
    end
    @(negedge clk) load_en = 1'b0;
    for (i = 0; i < count; i = i + LANES) begin
      @(negedge clk);
      in_valid = 1'b1;
      for (in_lane = 0; in_lane < LANES; in_lane = in_lane + 1) begin
        in_code[in_lane*32 +: 32] = (i + in_lane < count) ? codes[i + in_lane] : 32'd0;
      end
    end
    @(negedge clk) in_valid = 1'b0;
    repeat (6) @(negedge clk);
    $fclose(out_fd);
    $finish;
  end

  // Collect outputs as they leave the pipeline.
  initial written = 0;
  always @(posedge clk) begin
    if (out_valid) begin
      for (out_lane = 0; out_lane < LANES; out_lane = out_lane + 1) begin
        if (written < count) begin
          $fwrite(out_fd, "%08x\n", out_data[out_lane*32 +: 32]);
          written = written + 1;
        end
      end
    end
  end
endmodule
