// Icarus testbench of the NN-LUT unit: loads the golden table through the load port, streams the
// stimulus and writes one 32-bit output word per line (hex) for `npusim check-rtl`.
// Plusargs: +breakpoints=FILE +slopes=FILE +intercepts=FILE +shift=N +segments=N +stimulus=FILE +count=N +out=FILE
`timescale 1ns / 1ps
module nnlut_tb;
  localparam integer LANES = 2;
  localparam integer SEGMENTS = 16;
  localparam integer MAX_INPUTS = 70000;

  reg clk = 1'b0;
  reg rst_n = 1'b0;
  reg load_en = 1'b0;
  reg [1:0] load_sel = 2'd0;
  reg [7:0] load_addr = 8'd0;
  reg [31:0] load_data = 32'd0;
  reg [5:0] shift = 6'd0;
  reg in_valid = 1'b0;
  reg [LANES*32-1:0] in_x = 0;
  wire out_valid;
  wire [LANES*32-1:0] out_y;

  nnlut_unit #(.LANES(LANES), .SEGMENTS(SEGMENTS)) dut (
      .clk(clk), .rst_n(rst_n), .load_en(load_en), .load_sel(load_sel), .load_addr(load_addr), .load_data(load_data),
      .shift(shift), .in_valid(in_valid), .in_x(in_x), .out_valid(out_valid), .out_y(out_y));

  always #1 clk = ~clk;

  reg [31:0] bp_words [0:SEGMENTS-2];
  reg [31:0] slope_words [0:SEGMENTS-1];
  reg [31:0] intercept_words [0:SEGMENTS-1];
  reg [31:0] inputs [0:MAX_INPUTS-1];
  reg [1023:0] bp_file, slope_file, intercept_file, stimulus_file, out_file;
  integer count, shift_value, out_fd, i, lane, written;

  initial begin
    if (!$value$plusargs("breakpoints=%s", bp_file) || !$value$plusargs("slopes=%s", slope_file) ||
        !$value$plusargs("intercepts=%s", intercept_file) || !$value$plusargs("shift=%d", shift_value) ||
        !$value$plusargs("stimulus=%s", stimulus_file) || !$value$plusargs("count=%d", count) ||
        !$value$plusargs("out=%s", out_file)) begin
      $display("usage: +breakpoints= +slopes= +intercepts= +shift= +stimulus= +count= +out=");
      $finish;
    end
    $readmemh(bp_file, bp_words);
    $readmemh(slope_file, slope_words);
    $readmemh(intercept_file, intercept_words);
    $readmemh(stimulus_file, inputs, 0, count - 1);
    shift = shift_value[5:0];
    out_fd = $fopen(out_file, "w");
    @(negedge clk) rst_n = 1'b1;
    for (i = 0; i < SEGMENTS - 1; i = i + 1) begin
      @(negedge clk); load_en = 1'b1; load_sel = 2'd0; load_addr = i[7:0]; load_data = bp_words[i];
    end
    for (i = 0; i < SEGMENTS; i = i + 1) begin
      @(negedge clk); load_en = 1'b1; load_sel = 2'd1; load_addr = i[7:0]; load_data = slope_words[i];
    end
    for (i = 0; i < SEGMENTS; i = i + 1) begin
      @(negedge clk); load_en = 1'b1; load_sel = 2'd2; load_addr = i[7:0]; load_data = intercept_words[i];
    end
    @(negedge clk) load_en = 1'b0;
    for (i = 0; i < count; i = i + LANES) begin
      @(negedge clk);
      in_valid = 1'b1;
      for (lane = 0; lane < LANES; lane = lane + 1) in_x[lane*32 +: 32] = (i + lane < count) ? inputs[i + lane] : 32'd0;
    end
    @(negedge clk) in_valid = 1'b0;
    repeat (4) @(negedge clk);
    $fclose(out_fd);
    $finish;
  end

  initial written = 0;
  always @(posedge clk) begin
    if (out_valid) begin
      for (lane = 0; lane < LANES; lane = lane + 1) begin
        if (written < count) begin
          $fwrite(out_fd, "%08x\n", out_y[lane*32 +: 32]);
          written = written + 1;
        end
      end
    end
  end
endmodule
